/** Finding a free TCP port on 127.0.0.1. */
import net from "node:net";

export function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The first free port in [from, to], or undefined. */
export async function firstFreePort(from: number, to: number, host = "127.0.0.1"): Promise<number | undefined> {
  for (let port = from; port <= to; port++) if (await portIsFree(port, host)) return port;
  return undefined;
}

/** A free port chosen by the kernel. */
export function ephemeralPort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ port: 0, host }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
