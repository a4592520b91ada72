# Drawn by bench/report/generate.py from io.dat; re-draw: gnuplot io.gp
set terminal svg size 760,420 dynamic font 'sans,11' background rgb 'white'
set output "io.svg"
set datafile missing '?'
set title "register access cost per path (ns, log scale)" noenhanced
set ylabel "ns per access" noenhanced
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.85
set key outside right top noenhanced
set grid ytics
set xtics rotate by -25 noenhanced
set yrange [*:*]
set logscale y
plot 'io.dat' using 2:xtic(1) title "read32", '' using 3 title "write32"
unset output
