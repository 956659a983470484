# bench/chart.svg: HashSet against the built-in set across sizes.
# Called by scripts/bench.py with data='chart.dat' out='chart.svg'; columns:
# n add_hs add_set in_hs in_set rss_hs rss_set.
set terminal svg size 900,420 dynamic font "sans,11"
set output out
set multiplot layout 1,2
set logscale x
set xlabel "elements (random 64-bit keys)"
set key top left
set grid
set title "ns per call"
plot data using 1:2 with linespoints title "HashSet.add", \
     data using 1:3 with linespoints title "set.add", \
     data using 1:4 with linespoints title "in HashSet", \
     data using 1:5 with linespoints title "in set"
set title "bytes per element (RSS growth)"
set yrange [0:*]
plot data using 1:6 with linespoints title "HashSet", \
     data using 1:7 with linespoints title "set"
unset multiplot
