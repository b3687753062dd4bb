# MigrateClouds app image: one image, two commands (API: node dist/api/main.js, worker: node --max-semi-space-size=2 dist/worker/main.js).
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Toolchain for native modules (better-sqlite3) when no prebuilt binary matches.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
  MIGRATECLOUDS_DATA_DIR=/data \
  MIGRATECLOUDS_LOCAL_ROOTS=/srv/files
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Writable places for the non-root user; named volumes mounted here inherit the ownership.
RUN mkdir -p /data /srv/files && chown node:node /data /srv/files
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
