# Drawn by bench/report/generate.py from irq-latency.dat; re-draw: gnuplot irq-latency.gp
set terminal svg size 760,420 dynamic font 'sans,11' background rgb 'white'
set output "irq-latency.svg"
set datafile missing '?'
set title "interrupt latency, simulated AN385 (virtual cycles)" noenhanced
set ylabel "cycles" noenhanced
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.85
set key outside right top noenhanced
set grid ytics
set xtics rotate by -25 noenhanced
set yrange [0:*]
plot 'irq-latency.dat' using 2:xtic(1) title "min", '' using 3 title "mean", '' using 4 title "max"
unset output
