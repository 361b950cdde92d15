#!/usr/bin/env -S node --max-semi-space-size=1
// V8's young generation kept small (1 MB semi-spaces, 16 MB by default): the gateway streams
// messages of any size, and one 50 MB message took it to 132 MB peak RSS by default against 92 MB
// so, at about the same instructions per 5 KB message (docs/gateway.md, "Throughput").
'use strict';
require('../dist/main.js').runCli();
