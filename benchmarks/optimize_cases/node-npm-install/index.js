// Prints each service's uptime in human units and whether its version is supported.
const ms = require("ms");
const semver = require("semver");

const services = [
  { name: "api", version: "2.4.1", uptime: 93784000 },
  { name: "worker", version: "1.9.0", uptime: 5400000 },
];
for (const s of services) {
  const ok = semver.satisfies(s.version, ">=2.0.0") ? "supported" : "outdated";
  console.log(`${s.name} ${ms(s.uptime, { long: true })} ${ok}`);
}
