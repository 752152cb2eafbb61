# syntax=docker/dockerfile:1.7
# One image per deployable, all from this monorepo:
#   docker build --target gateway -t expe-gateway .   (also auth, merchants, payments,
#   webhooks, operator, web; `dev` is the Tilt live-update image)
# The Node targets share one runtime layer (the built, pruned workspace) and differ only in CMD,
# so a registry stores the dependencies once.

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false

# Only the package manifests, so `npm ci` reruns when dependencies change, not on every edit.
FROM base AS manifests
COPY . /src
RUN mkdir /out \
  && cd /src \
  && cp package.json package-lock.json /out/ \
  && find . -name package.json -not -path '*/node_modules/*' -not -path './package.json' \
       -exec cp --parents {} /out/ \;

FROM base AS deps
COPY --from=manifests /out/ ./
RUN --mount=type=cache,target=/root/.npm npm ci

# Compile every TypeScript project (tsc -b over the root solution) and the web app.
FROM deps AS build
COPY . .
RUN npx tsc -b
RUN if [ -f web/package.json ]; then npm run build --workspace web; fi

# Production dependencies only, and no sources: the runtime resolves @expe/* to dist/.
FROM build AS pruned
RUN npm prune --omit=dev
RUN rm -rf web \
  && find $(ls -d packages services operator platform 2>/dev/null) -mindepth 2 -maxdepth 2 \
       \( -name src -o -name test -o -name 'tsconfig*.json' -o -name '*.tsbuildinfo' \) \
       -exec rm -rf {} +

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=pruned /app /app
# The node user of the official image; numeric so Kubernetes can verify runAsNonRoot.
USER 1000:1000

# The services start with OpenTelemetry's preload (spans for HTTP, Express, pg, ioredis; ES modules
# can only be instrumented that way); the charts run the same command line.
FROM runtime AS gateway
# 12111: the Stripe-compatible API (STRIPE_PORT).
EXPOSE 4000 12111
CMD ["node", "--import", "@expe/server-kit/instrument", "services/gateway/dist/main.js"]

FROM runtime AS auth
EXPOSE 4001
CMD ["node", "--import", "@expe/server-kit/instrument", "services/auth/dist/main.js"]

FROM runtime AS merchants
EXPOSE 4002
CMD ["node", "--import", "@expe/server-kit/instrument", "services/merchants/dist/main.js"]

FROM runtime AS payments
EXPOSE 4003
CMD ["node", "--import", "@expe/server-kit/instrument", "services/payments/dist/main.js"]

FROM runtime AS webhooks
EXPOSE 4004
CMD ["node", "--import", "@expe/server-kit/instrument", "services/webhooks/dist/main.js"]

FROM runtime AS operator
EXPOSE 8080
CMD ["node", "operator/dist/main.js"]

# The web app: Vite's static build behind nginx as a non-root user (uid 101) on port 8080.
FROM nginxinc/nginx-unprivileged:1.27-alpine AS web
COPY --from=build /app/web/dist /usr/share/nginx/html
COPY <<'NGINX' /etc/nginx/conf.d/default.conf
server {
  listen 8080;
  root /usr/share/nginx/html;
  location = /healthz { access_log off; default_type text/plain; return 200 'ok'; }
  # Hashed assets never change; index.html must always be fresh.
  location /assets/ { expires 1y; add_header Cache-Control "public, immutable"; }
  location / { try_files $uri /index.html; add_header Cache-Control "no-cache"; }
}
NGINX
EXPOSE 8080

# Tilt's live-update image: all dependencies and the TypeScript sources, run with tsx and
# Node's --watch so a synced file restarts the service. The Tiltfile sets the entrypoint.
FROM deps AS dev
ENV NODE_ENV=development
COPY --chown=1000:1000 . .
RUN chown 1000:1000 /app
USER 1000:1000
CMD ["node", "--version"]
