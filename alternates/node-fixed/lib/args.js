'use strict';
// Command lines, as the reference's (SPEC.md section 2): positional FILE, --flags with values.

const { parseArgs } = require('util');

// Parse process.argv: OPTIONS as for util.parseArgs (all strings), POSITIONALS the names of
// the required positional arguments. A bad command line prints USAGE and exits 2.
function parse({ usage, options = {}, positionals = [] }) {
  try {
    const parsed = parseArgs({
      args: process.argv.slice(2),
      options,
      allowPositionals: true,
      strict: true,
    });
    if (parsed.positionals.length !== positionals.length) {
      throw new Error(`expected ${positionals.length} argument(s): ${positionals.join(' ')}`);
    }
    const values = { ...parsed.values };
    positionals.forEach((name, index) => {
      values[name] = parsed.positionals[index];
    });
    return values;
  } catch (error) {
    fail(usage, error.message);
  }
}

// A non-negative integer option (MINIMUM and up), or a usage error.
function integer(usage, name, text, minimum) {
  if (!/^[0-9]+$/.test(text) || Number(text) < minimum || !Number.isSafeInteger(Number(text))) {
    fail(usage, `--${name} must be an integer >= ${minimum}, not ${JSON.stringify(text)}`);
  }
  return Number(text);
}

function fail(usage, message) {
  process.stderr.write(`usage: ${usage}\n${message}\n`);
  process.exit(2);
}

module.exports = { parse, integer, fail };
