# Drawn by bench/report/generate.py from engine.dat; re-draw: gnuplot engine.gp
set terminal svg size 760,420 dynamic font 'sans,11' background rgb 'white'
set output "engine.svg"
set datafile missing '?'
set title "wasmio engine vs native: slowdown per kernel" noenhanced
set ylabel "wasm / native" noenhanced
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.85
set key outside right top noenhanced
set grid ytics
set xtics rotate by -25 noenhanced
set yrange [0:*]
plot 'engine.dat' using 2:xtic(1) title "time ratio", '' using 3 title "instruction ratio"
unset output
