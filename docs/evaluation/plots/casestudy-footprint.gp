# Drawn by bench/report/generate.py from casestudy-footprint.dat; re-draw: gnuplot casestudy-footprint.gp
set terminal svg size 760,420 dynamic font 'sans,11' background rgb 'white'
set output "casestudy-footprint.svg"
set datafile missing '?'
set title "case study: bytes per container" noenhanced
set ylabel "bytes" noenhanced
set style data histogram
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.85
set key outside right top noenhanced
set grid ytics
set xtics rotate by -25 noenhanced
set yrange [0:*]
plot 'casestudy-footprint.dat' using 2:xtic(1) title "linear memory", '' using 3 title "host"
unset output
