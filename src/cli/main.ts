import { main } from './program.js';

await main();
// Once the command is done, nothing it opened may keep the process alive (a socket a failed start left
// half-open, a timer): whatever still runs after a grace period is ended. The timer itself holds nothing up.
setTimeout(() => process.exit(), 2000).unref();
