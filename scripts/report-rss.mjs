// Preloaded by the benchmark (node --import): reports the process's peak resident memory on exit.
process.on('exit', () => {
  process.stderr.write(`\nOPSLAB_PEAK_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
