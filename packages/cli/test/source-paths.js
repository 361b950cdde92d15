// Preloaded (node -r) when the CLI runs from its TypeScript sources: resolves the workspace
// packages to their src/ entry points, as jest's moduleNameMapper does, so no build is needed.
'use strict';
const Module = require('node:module');
const path = require('node:path');

const root = path.join(__dirname, '..', '..', '..');
const sources = {
  '@mailward/core': 'packages/core/src/index.ts',
  '@mailward/core/testing': 'packages/core/src/testing/index.ts',
  '@mailward/facts': 'packages/facts/src/index.ts',
  '@mailward/adapter-smtp-server': 'packages/adapter-smtp-server/src/index.ts',
  '@mailward/gateway': 'packages/gateway/src/index.ts',
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const mapped = sources[request];
  return resolve.call(this, mapped ? path.join(root, mapped) : request, ...rest);
};
