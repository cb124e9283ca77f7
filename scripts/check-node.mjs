// Plain JavaScript on purpose: it must run, and explain, on whatever Node is first on PATH.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `Opslab needs Node 22.12 or newer; this is Node ${process.versions.node}.\n` +
      'Run the scripts through npm (npm start, npm test): `npm ci` installs Node 24 from the npm\n' +
      'registry into node_modules/.bin (the "node" devDependency), and npm puts it first on PATH.\n' +
      'If you installed with --ignore-scripts, run `npm ci` again without it.',
  );
  process.exit(1);
}
