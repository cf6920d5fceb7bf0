const { crc32 } = require("./build/Release/crc.node");

for (const word of ["hello", "dockgen", "multi-stage"]) {
  console.log(`${word} ${crc32(word).toString(16)}`);
}
