'use strict';
// The machine a run measured: CPU model, cores, Node, compiler, date.
const os = require('node:os');
const { compilerVersion } = require('./build-native');

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    compiler: compilerVersion(),
    platform: `${process.platform}-${process.arch}`,
    loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
    date: new Date().toISOString(),
  };
}

module.exports = { machine };
