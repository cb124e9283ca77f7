/**
 * OpenSSH's openbsd-compat/getopt_long.c (1.25): getopt(), which ssh.c main() loops over.
 * Portable OpenSSH builds this copy in place of glibc's, so its rules, not glibc's, are ssh's.
 */

type GetoptEvent =
  | { kind: 'option'; letter: string; optarg: string | null }
  | { kind: 'end' }
  | { kind: 'unknown'; letter: string }
  | { kind: 'missing'; letter: string };

/**
 * getopt() as ssh gets it: the BSD one (openbsd-compat/getopt_long.c replaces glibc's, which has
 * no optreset), which never permutes, so options stop at the first word not starting with '-'.
 * Its messages are "unknown option -- %c" and "option requires an argument -- %c", printed
 * through logit() with no program name, before ssh prints usage().
 */
export function makeGetopt(av: readonly string[], optstring: string) {
  const state = { optind: 1, place: '' };
  const next = (): GetoptEvent => {
    if (state.place === '') {
      if (state.optind >= av.length) return { kind: 'end' };
      const arg = av[state.optind]!;
      // A word not starting with '-', or '-' alone, ends the options.
      if (!arg.startsWith('-') || arg === '-') return { kind: 'end' };
      state.place = arg.slice(1);
      if (state.place === '-') {
        state.optind++;
        state.place = '';
        return { kind: 'end' };
      }
    }
    const letter = state.place[0]!;
    state.place = state.place.slice(1);
    const index = letter === ':' ? -1 : optstring.indexOf(letter);
    if (index < 0 || (letter === '-' && state.place !== '')) {
      // A '-' that ends a cluster ("-v-") makes getopt() stop without consuming the word.
      if (letter === '-' && state.place === '') return { kind: 'end' };
      if (state.place === '') state.optind++;
      return { kind: 'unknown', letter };
    }
    if (optstring[index + 1] !== ':') {
      if (state.place === '') state.optind++;
      return { kind: 'option', letter, optarg: null };
    }
    let optarg: string;
    if (state.place !== '') optarg = state.place;
    else if (++state.optind >= av.length) {
      state.place = '';
      return { kind: 'missing', letter };
    } else optarg = av[state.optind]!;
    state.place = '';
    state.optind++;
    return { kind: 'option', letter, optarg };
  };
  return { state, next };
}
