# Drawn by bench/report/generate.py from async.dat; re-draw: gnuplot async.gp
set terminal svg size 760,420 dynamic font 'sans,11' background rgb 'white'
set output "async.svg"
set datafile missing '?'
set title "Block transfers (UART, SPI): virtual cycles per byte" noenhanced
set ylabel "cycles per byte" noenhanced
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.85
set key outside right top noenhanced
set grid ytics
set xtics rotate by -25 noenhanced
set yrange [*:*]
set logscale y
plot 'async.dat' using 2:xtic(1) title "cycles per byte"
unset output
