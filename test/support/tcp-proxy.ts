/**
 * A TCP proxy in front of the test database that a test can cut, stall and restore, to see how
 * Findo behaves while the database is really unreachable, or reachable but not answering.
 */
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every connection and refuses new ones. */
  cut(): void;
  /** Keeps every connection open but forwards nothing either way: a database that hangs. */
  stall(): void;
  /** Accepts and forwards connections again. */
  restore(): void;
  close(): Promise<void>;
}

interface Link {
  client: net.Socket;
  upstream?: net.Socket;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'open' | 'cut' | 'stalled' = 'open';
  const links = new Set<Link>();
  const forward = (link: Link) => {
    link.upstream ??= net
      .connect(target.port, target.host)
      .on('error', () => drop(link))
      .on('close', () => drop(link));
    link.client.pipe(link.upstream).pipe(link.client);
  };
  const drop = (link: Link) => {
    link.client.destroy();
    link.upstream?.destroy();
    links.delete(link);
  };
  const server = net.createServer((client) => {
    if (mode === 'cut') return client.destroy();
    const link: Link = { client };
    links.add(link);
    client.on('error', () => drop(link)).on('close', () => drop(link));
    if (mode === 'open') forward(link);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    cut() {
      mode = 'cut';
      for (const link of links) drop(link);
    },
    stall() {
      mode = 'stalled';
      for (const { client, upstream } of links) {
        client.unpipe();
        upstream?.unpipe();
        client.pause();
        upstream?.pause();
      }
    },
    restore() {
      // Only stalled links are unpiped; piping an open link again would send its bytes twice.
      if (mode === 'stalled') for (const link of links) forward(link);
      mode = 'open';
    },
    close: () =>
      new Promise<void>((resolve) => {
        mode = 'cut';
        for (const link of links) drop(link);
        server.close(() => resolve());
      }),
  };
}
