# Drawn by bench/report/generate.py from interference.dat; re-draw: gnuplot interference.gp
set terminal svg size 760,420 dynamic font 'sans,11' background rgb 'white'
set output "interference.svg"
set datafile missing '?'
set title "periodic task beside a misbehaving interrupt handler" noenhanced
set ylabel "count" noenhanced
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.85
set key outside right top noenhanced
set grid ytics
set xtics rotate by -25 noenhanced
set yrange [0:*]
plot 'interference.dat' using 2:xtic(1) title "deadlines missed", '' using 3 title "jobs completed"
unset output
