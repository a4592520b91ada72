# Drawn by bench/report/generate.py from casestudy-cpu.dat; re-draw: gnuplot casestudy-cpu.gp
set terminal svg size 760,420 dynamic font 'sans,11' background rgb 'white'
set output "casestudy-cpu.svg"
set datafile missing '?'
set title "case study: CPU share of drivers + application" noenhanced
set ylabel "% of virtual time" noenhanced
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.85
set key outside right top noenhanced
set grid ytics
set xtics rotate by -25 noenhanced
set yrange [0:*]
plot 'casestudy-cpu.dat' using 2:xtic(1) title "native drivers", '' using 3 title "Wasm containers"
unset output
