"use strict";

const http = require("http");

const port = Number(process.env.PORT || 8080);

const server = http.createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end("ok\n");
    return;
  }
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ message: "hello from node-app", path: req.url }) + "\n");
});

server.listen(port, () => {
  console.log(`node-app listening on :${port}`);
});

process.on("SIGTERM", () => server.close(() => process.exit(0)));
