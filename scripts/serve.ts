// Serves the built site (dist/) and prints its address: the README's first command ends here.
import { serveStatic } from './static-server.ts';

const port = Number(process.env.PORT ?? 4321);
const base = process.env.OPSLAB_BASE ?? '/';
const server = serveStatic(process.env.OPSLAB_OUT ?? 'dist', base);
server.listen(port, () => {
  console.log(`\nOpslab is being served at http://localhost:${port}${base}\n(Ctrl+C to stop)`);
});
