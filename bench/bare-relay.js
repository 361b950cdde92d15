// @ts-check
/**
 * The floor of the gateway benchmark: smtp-server in, nodemailer out (a pool to the sink),
 * nothing in between: no policy, no spool, greet pause 0. Plain JavaScript run by plain node,
 * so that its RSS carries no ts-node or TypeScript, as `mailward serve` (built) carries none.
 *
 *   node bench/bare-relay.js PORT SINKPORT
 */
'use strict';
const { SMTPServer } = require('smtp-server');
const nodemailer = require('nodemailer');
const { setGreetPause } = require('../packages/adapter-smtp-server/dist/greet-pause');

const [port, sinkPort] = process.argv.slice(2).map(Number);
const out = nodemailer.createTransport({ host: '127.0.0.1', port: sinkPort, pool: true, maxConnections: 50, ignoreTLS: true });
const server = new SMTPServer({
  authOptional: true,
  logger: false,
  disabledCommands: ['AUTH', 'STARTTLS'],
  onData(stream, session, done) {
    const envelope = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) };
    out.sendMail({ envelope, raw: stream }).then(
      () => done(),
      (/** @type {Error} */ err) => {
        stream.resume();
        done(Object.assign(new Error(`451 ${err.message}`), { responseCode: 451 }));
      },
    );
  },
});
setGreetPause(server, 0);
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
