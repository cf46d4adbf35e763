// node .ci/redis-probe.js [URL]: exit 0 when a Redis server answers PING (no client library needed).
const net = require("node:net");
const url = new URL(process.argv[2] || "redis://127.0.0.1:6379");
const socket = net.connect({ host: url.hostname, port: Number(url.port || 6379) });
const fail = () => process.exit(1);
socket.setTimeout(2000, fail);
socket.on("error", fail);
socket.on("connect", () => socket.write("PING\r\n"));
socket.on("data", (d) => process.exit(d.toString().startsWith("+PONG") ? 0 : 1));
