# One image for the api, the worker and the keystone CLI, on Node 24 LTS. No Docker engine runs on
# Keystone's build machines: this file and docker-compose.yml are kept correct by reading, and by
# test/e2e/deployment-config.e2e.spec.ts (see README); what runs inside is tested on Node 24 by
# `npm run test:node24`.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: the only one that matters is better-sqlite3 12's build, and 12 is not what runs
# on Node 24 (below).
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npx tsc -p tsconfig.build.json && npm run web:build \
  && npm prune --omit=dev --ignore-scripts \
  && rm -rf node_modules/better-sqlite3

# better-sqlite3 12 (what the Node 20 development machines build) aborts Node 24 when a statement is
# garbage-collected; 13 uses Node-API and ships its binaries in the package (no compiler needed).
# The version is package.json's "keystone.node24", the one `npm run test:node24` runs against.
FROM node:24-bookworm-slim AS sqlite
WORKDIR /sqlite
COPY package.json ./keystone.json
RUN npm install --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
  "better-sqlite3@$(node -p "require('./keystone.json').keystone.node24['better-sqlite3']")" \
  && node -e "new (require('better-sqlite3'))(':memory:').prepare('SELECT 1').get()"

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
COPY --from=build /app/node_modules ./node_modules
COPY --from=sqlite /sqlite/node_modules/ ./node_modules/
COPY --from=build /app/dist ./dist
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/package.json /app/tsconfig.json ./
# Where the key-encryption key lives (docker-compose mounts a volume of its own there), owned by the
# user the processes run as, like ./data.
RUN mkdir -p /run/keystone-keys /run/keystone-evidence /app/data \
  && chown node:node /run/keystone-keys /run/keystone-evidence /app/data \
  && chmod 0700 /run/keystone-keys /run/keystone-evidence /app/data
USER node
EXPOSE 3000
CMD ["node", "-r", "./scripts/register-paths.js", "dist/apps/api/src/main.js"]
