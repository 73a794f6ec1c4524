// Preloaded into the bench's worker processes (node --import), so both workers are measured alike:
// - counts the requests the process writes to Redis (BENCH_REDIS_PORT): one socket write per command sent
//   alone, one per pipeline or MULTI block, each answered before the client goes on: the round trips;
// - with BENCH_CPU_PROFILE=<file>, records a V8 CPU profile of exactly the measured window.
// Each SIGUSR2 prints {"benchRedisWrites":n}; the first starts the profile, the second writes it.
import { writeFileSync, writeSync } from 'node:fs';
import { Session } from 'node:inspector';
import net from 'node:net';

const port = Number(process.env.BENCH_REDIS_PORT);
let writes = 0;
const write = net.Socket.prototype.write;
net.Socket.prototype.write = function countedWrite(...args) {
  if (this.remotePort === port) writes += 1;
  return write.apply(this, args);
};

const profileFile = process.env.BENCH_CPU_PROFILE;
let session;
let signals = 0;
process.on('SIGUSR2', () => {
  signals += 1;
  // Straight to the descriptor: creating process.stdout would make it non-blocking and change how the
  // worker's own log lines are written.
  const report = () => writeSync(1, `{"benchRedisWrites":${writes}}\n`);
  if (!profileFile || signals > 2) return report();
  if (signals === 1) {
    session = new Session();
    session.connect();
    session.post('Profiler.enable', () =>
      session.post('Profiler.setSamplingInterval', { interval: 500 }, () =>
        session.post('Profiler.start', report),
      ),
    );
    return;
  }
  session.post('Profiler.stop', (err, result) => {
    if (!err) writeFileSync(profileFile, JSON.stringify(result.profile));
    session.disconnect();
    report();
  });
});
