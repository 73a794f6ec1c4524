# syntax=docker/dockerfile:1
# Crier: a compiled image. Stage 1 installs everything and builds dist/ (tsc, then the bundled CLI);
# stage 2 keeps the production dependencies, dist/, bin/ and the default configuration, and runs as `node`.
#   docker build -t crier .
#   docker run --init --env-file .env -e REDIS_URL=redis://redis:6379 -p 127.0.0.1:8080:8080 crier
# docker-compose.yml runs it beside a persistent Redis.

ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# Dependencies first (their layer is reused while only the sources change); `prepare` (the build) runs
# below, once the sources are in.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs ./scripts/
COPY bin ./bin
COPY src ./src
COPY jobs ./jobs
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Production dependencies only; no install scripts (nothing to compile: dist/ comes from the build stage).
# TypeScript comes back as an optional peer of a dependency (@bull-board's valibot); nothing runs it here.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/typescript node_modules/@typescript \
  && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
# The default configuration; docker-compose.yml mounts the operator's own over it, read-only.
COPY config ./config
USER node
# /healthz, /metrics (behind the admin credentials, or on CRIER_METRICS_ADDR) and /admin/queues.
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM lets active jobs finish (up to 10 s) and hands the rest back to the queue.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/crier.js"]
CMD ["start", "--http", ":8080"]
