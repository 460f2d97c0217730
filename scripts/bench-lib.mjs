// Shared by the benchmark scripts: `[dist] [--runs N]` arguments and the median.

/** `{ dist, runs }` from the command line; `runs` defaults to `defaultRuns`. */
export function benchArgs(defaultRuns) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--runs");
  const runs = at >= 0 ? Number(args[at + 1]) : defaultRuns;
  const dist = args.find((a, i) => !a.startsWith("--") && i !== at + 1) ?? "dist";
  return { dist, runs };
}

/** The median; the mean of the middle two for an even count. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
