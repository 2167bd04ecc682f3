#!/usr/bin/env node
// The `keystone` command: runs the compiled CLI (npm run build first; npm start builds too).
require('./register-paths');
require('../dist/apps/cli/src/main.js');
