/**
 * The lesson's terminal: a line split into words as bash would (tokenizeShell), the program those
 * words run (ssh, or a client program of the walk), and the reverse, a word or an ssh command
 * written back as a line. Nothing here throws, whatever the input; every refusal is a value that
 * says which program refused and what it would print.
 */
import { CLIENT_PROGRAMS, isClientProgram, parseClientArgv, type ClientCommand } from './clients/index.ts';
import { failure, unsupported, type CommandFailure } from './failure.ts';
import { parseSshArgv, type OpenSshFlavour, type SshCommand } from './openssh/ssh.ts';

export type ShellWords = { ok: true; words: string[] } | CommandFailure;

/** Characters that end a word and start something the lesson's terminal does not run. */
const SHELL_OPERATORS = '|&;<>()';
/** What may follow `$` to make an expansion (a name, a positional or special parameter, `${`, `$(`, `$'`, `$"`). */
const EXPANSION_START = /[A-Za-z_0-9{(@*#?$!'"-]/;

/**
 * Split a line into words the way bash does for simple commands: blanks separate words, '…' is
 * literal, "…" is literal except for \$ \` \" \\ and \newline, an unquoted backslash escapes the
 * next character, and an unquoted # at the start of a word begins a comment. Anything that would
 * make bash do more than run one program (pipes, redirections, lists, $ and ` expansions, a
 * leading NAME=value, a second command line) is refused as outside the lesson, rather than
 * mis-read. Glob characters are kept as typed: bash leaves a pattern that matches no file
 * unchanged, and the lesson's hosts are assumed to have no file named like `*:8080:web:80`.
 * Tilde and brace expansion are not done either.
 */
export function tokenizeShell(line: string): ShellWords {
  const commands: string[][] = [[]];
  let words = commands[0]!;
  let word = '';
  let inWord = false;
  let wordStart = 0;
  let i = 0;
  const finishWord = (end: number): CommandFailure | null => {
    if (!inWord) return null;
    const raw = line.slice(wordStart, end);
    if (words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(raw)) {
      return unsupported('bash', 'setting variables (NAME=value) is outside this lesson; type the command alone');
    }
    words.push(word);
    word = '';
    inWord = false;
    return null;
  };
  const startWord = (at: number) => {
    if (!inWord) {
      inWord = true;
      wordStart = at;
    }
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === '\0') return unsupported('bash', 'the terminal cannot send a NUL character');
    if (!inWord && c === '#') {
      while (i < line.length && line[i] !== '\n') i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n') {
      const problem = finishWord(i);
      if (problem) return problem;
      if (c === '\n' && words.length > 0) {
        words = [];
        commands.push(words);
      }
      i++;
      continue;
    }
    if (SHELL_OPERATORS.includes(c)) {
      return unsupported('bash', `this terminal runs one command at a time: '${c}' (pipes, redirections, lists) is outside this lesson`);
    }
    if (c === '`') return unsupported('bash', 'command substitution is outside this lesson');
    if (c === '$' && i + 1 < line.length && EXPANSION_START.test(line[i + 1]!)) {
      return unsupported('bash', 'variables and $-expansions are outside this lesson; type the value itself');
    }
    startWord(i);
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) return unbalanced("'");
      word += line.slice(i + 1, close);
      i = close + 1;
      continue;
    }
    if (c === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return unbalanced('"');
        const d = line[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\0') return unsupported('bash', 'the terminal cannot send a NUL character');
        if (d === '`') return unsupported('bash', 'command substitution is outside this lesson');
        // Inside "…", $' and $" are a literal dollar followed by a quote.
        if (d === '$' && i + 1 < line.length && EXPANSION_START.test(line[i + 1]!) && line[i + 1] !== "'" && line[i + 1] !== '"') {
          return unsupported('bash', 'variables and $-expansions are outside this lesson; type the value itself');
        }
        if (d === '\\' && i + 1 < line.length && '$`"\\\n'.includes(line[i + 1]!)) {
          if (line[i + 1] !== '\n') word += line[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= line.length) {
        // A backslash at the very end has nothing to escape and stays in the word.
        word += '\\';
        i++;
      } else if (line[i + 1] === '\n') {
        // Backslash-newline joins lines. If it was all this word had, the word has not started.
        if (word === '' && wordStart === i) inWord = false;
        i += 2;
      } else {
        word += line[i + 1];
        i += 2;
      }
      continue;
    }
    word += c;
    i++;
  }
  const problem = finishWord(line.length);
  if (problem) return problem;
  const nonEmpty = commands.filter((c) => c.length > 0);
  if (nonEmpty.length > 1) return unsupported('bash', 'this terminal runs one command at a time; type one line');
  return { ok: true, words: nonEmpty[0] ?? [] };
}

/**
 * bash's complaint when a quote is never closed, as `bash -c` prints it without the "-c: line 1:"
 * part (an interactive bash would show a continuation prompt instead; the lesson's terminal has none).
 */
function unbalanced(quote: string): CommandFailure {
  return failure('bash', 'shell', [`bash: unexpected EOF while looking for matching \`${quote}'`], 2);
}

/** A word as the shell would need it typed: bare when that is safe, else in single quotes. */
export function quoteShellWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word) && !word.startsWith('#')) return word;
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * A command line that parseSshArgv() reads back as the same command (host, user, port, flags,
 * forwards with their original specs, remote command). -o settings other than
 * ExitOnForwardFailure, ignored options and notes are not reproduced.
 */
export function formatSshCommand(cmd: SshCommand): string {
  const words: string[] = ['ssh'];
  for (let k = 0; k < cmd.verbosity; k++) words.push('-v');
  if (cmd.noCommand) words.push('-N');
  if (cmd.gatewayPorts) words.push('-g');
  if (cmd.background) words.push('-f');
  if (cmd.port !== null) words.push('-p', String(cmd.port));
  if (cmd.user !== null) words.push('-l', cmd.user);
  if (cmd.exitOnForwardFailure) words.push('-o', 'ExitOnForwardFailure=yes');
  for (const f of cmd.locals) words.push('-L', f.spec);
  for (const f of cmd.remotes) words.push('-R', f.spec);
  for (const f of cmd.dynamics) words.push('-D', f.spec);
  // A host that looks like an ssh:// URI could only have come from user@host; keep that form.
  words.push(cmd.host.startsWith('ssh://') ? `${cmd.user ?? ''}@${cmd.host}` : cmd.host);
  if (cmd.command !== null) words.push('--', cmd.command);
  return words.map(quoteShellWord).join(' ');
}

export type ParsedCommand = SshCommand | ClientCommand;
export type CommandLineResult = { ok: true; command: ParsedCommand } | CommandFailure;

const KNOWN_PROGRAMS = ['ssh', ...CLIENT_PROGRAMS];

/**
 * What the reader typed, as the shell and then the program would take it. Never throws.
 * `/usr/bin/ssh` and the like run the same programs; any other path, and any other program, is
 * what bash says about a command it cannot find.
 */
export function parseCommandLine(line: string, flavour: OpenSshFlavour = 'current'): CommandLineResult {
  const tokens = tokenizeShell(line);
  if (!tokens.ok) return tokens;
  const words = tokens.words;
  if (words.length === 0) return failure('', 'empty', [], null, 'nothing to run');
  const typed = words[0]!;
  let name = typed;
  if (typed.includes('/')) {
    const m = /^\/(?:usr\/(?:local\/)?)?bin\/([^/]+)$/.exec(typed);
    if (m === null || !KNOWN_PROGRAMS.includes(m[1]!)) return failure('bash', 'shell', [`bash: ${typed}: No such file or directory`], 127);
    name = m[1]!;
  }
  if (name === 'ssh') return parseSshArgv(words, flavour);
  if (isClientProgram(name)) {
    const r = parseClientArgv(name, words);
    return 'ok' in r ? r : { ok: true, command: r };
  }
  if (SHELL_BUILTINS.has(name)) return unsupported('bash', `${name} is a shell builtin this lesson's terminal does not run`);
  return failure('bash', 'shell', [`bash: ${typed}: command not found`], 127);
}

/** Builtins bash would run rather than call "not found". */
const SHELL_BUILTINS = new Set(['cd', 'echo', 'exit', 'logout', 'export', 'pwd', 'printf', 'true', 'false', 'type', 'help', 'history', 'alias', 'unset', 'set', 'source', '.', 'exec', 'kill', 'jobs', 'fg', 'bg', 'wait', 'test', '[']);
