# Drawn by bench/report/generate.py from footprint.dat; re-draw: gnuplot footprint.gp
set terminal svg size 760,420 dynamic font 'sans,11' background rgb 'white'
set output "footprint.svg"
set datafile missing '?'
set title "bytes per driver container (without linear memory and stacks)" noenhanced
set ylabel "bytes" noenhanced
set style data histogram
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.85
set key outside right top noenhanced
set grid ytics
set xtics rotate by -25 noenhanced
set yrange [0:*]
plot 'footprint.dat' using 2:xtic(1) title "module", '' using 3 title "lowered code", '' using 4 title "instance", '' using 5 title "I/O layer", '' using 6 title "scheduler"
unset output
