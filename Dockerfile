# syntax=docker/dockerfile:1
# MedoraAI image: one image runs the server (default) or the worker (see docker-compose.yml).
# The server and the worker run as JavaScript bundles built with esbuild (scripts/node-build.mjs);
# the web app is built with Vite.

# --- manifests: only package.json files and the lockfile, so `npm ci` stays cached until a
# dependency changes (source edits do not invalidate it).
FROM node:20-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -path ./node_modules -prune -o \( -name package.json -o -name package-lock.json \) -print \
    | xargs -I{} cp --parents {} /manifests

# --- deps: the full install (build tools included; the admin command line rebuilds nothing but
# checks the bundles against their sources, and the bundles load installed packages from here).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --no-audit --no-fund

# --- build: the web app, and the server and worker bundles (after the sources, so they are
# newer than every source and `npm run cli` in the container finds them current).
FROM deps AS build
COPY . .
RUN npm run build -w @medora/web && node scripts/node-build.mjs

# --- runtime
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/.data
WORKDIR /app
COPY --from=build /app ./
# Only DATA_DIR is writable by the app user; code and dependencies stay root-owned.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The server drains requests on SIGTERM (SHUTDOWN_TIMEOUT_MS, 10 s by default).
STOPSIGNAL SIGTERM
# The same arguments as builtArgs() in scripts/node-build.mjs (a test compares them).
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=50", "--enable-source-maps", "apps/server/dist/main.js"]
