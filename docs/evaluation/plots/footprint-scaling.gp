# Drawn by bench/report/generate.py from footprint-scaling.dat; re-draw: gnuplot footprint-scaling.gp
set terminal svg size 760,420 dynamic font 'sans,11' background rgb 'white'
set output "footprint-scaling.svg"
set title "live bytes vs installed containers (temperature_host_call)" noenhanced
set xlabel "containers" noenhanced
set ylabel "bytes" noenhanced
set key top left noenhanced
set grid
set yrange [0:*]
plot 'footprint-scaling.dat' using 1:2 with linespoints lw 2 title "total bytes"
unset output
