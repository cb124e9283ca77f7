// Installs Debian's OpenSSH (and iproute2, for the network-namespace cases) for the SSH port-forwarding
// conformance test when they are missing. The test starts its own sshd as a child process; the system's
// sshd is not started (see policy-rc.d below).
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const onPath = (name) =>
  (process.env.PATH ?? '/usr/bin:/bin')
    .split(':')
    .concat(['/usr/sbin', '/sbin', '/usr/bin', '/bin'])
    .some((dir) => dir && existsSync(`${dir}/${name}`));

const missing = [];
if (!existsSync('/usr/sbin/sshd')) missing.push('openssh-server');
if (!onPath('ssh') || !onPath('ssh-keygen')) missing.push('openssh-client');
if (!onPath('ip')) missing.push('iproute2');
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let sudo = [];
if (!isRoot) {
  try {
    execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
    sudo = ['sudo', '-n'];
  } catch {
    console.warn(
      `Skipping the OpenSSH install (${missing.join(' ')}): not root and no password-less sudo. ` +
        `The real-OpenSSH test will skip itself; to run it: apt-get install ${missing.join(' ')}`,
    );
    process.exit(0);
  }
}
if (!existsSync('/usr/bin/apt-get')) {
  console.warn(`Skipping the OpenSSH install: no apt-get here. The real-OpenSSH test will skip itself; install ${missing.join(' ')} yourself to run it.`);
  process.exit(0);
}

const run = (args) => {
  const [cmd, ...rest] = [...sudo, ...args];
  execFileSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
};
// The test needs the programs, not a running service: on a machine with an init system, openssh-server's
// postinst would start the system sshd on port 22. A policy-rc.d that says "no" (101) for the length of the
// install keeps it stopped, as in Debian's container images; a policy-rc.d the machine already has is left alone.
const POLICY = '/usr/sbin/policy-rc.d';
const ownPolicy = missing.includes('openssh-server') && !existsSync(POLICY);
try {
  console.log(`Installing Debian ${missing.join(', ')} for the SSH port-forwarding conformance test…`);
  if (ownPolicy) run(['sh', '-c', `printf '#!/bin/sh\\nexit 101\\n' > ${POLICY} && chmod 755 ${POLICY}`]);
  run(['apt-get', 'update', '-q']);
  run(['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...missing]);
} catch (error) {
  console.error(`Could not install ${missing.join(' ')} (${error.message}). Install them yourself: apt-get install ${missing.join(' ')}`);
  process.exitCode = 1;
} finally {
  if (ownPolicy) run(['rm', '-f', POLICY]);
}
