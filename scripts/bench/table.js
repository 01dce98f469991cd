'use strict';
// Prints the rows of a run as an aligned console table, grouped by section.
function printTable(rows, write = (s) => process.stdout.write(s)) {
  const w1 = Math.max(...rows.map((r) => r.figure.length));
  const w2 = Math.max(...rows.map((r) => r.value.length));
  let section = '';
  for (const r of rows) {
    if (r.section !== section) {
      section = r.section;
      write(`\n${section}\n`);
    }
    write(`  ${r.figure.padEnd(w1)}  ${r.value.padEnd(w2)}  ${r.note}\n`);
  }
}

module.exports = { printTable };
