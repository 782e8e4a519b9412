# One build, four images: `docker build --target api .` (or gateway, worker, mailbox).
# The build stage compiles the TypeScript once (`tsc -b`) and the web bundles; each service is then
# copied out with its production dependencies only (`pnpm deploy --prod`) and runs as
# `node dist/main.js`, as a non-root user, with NODE_ENV=production: no TypeScript, no dev tools.

FROM node:20-slim AS build
RUN npm install -g pnpm@12.21.0 --no-fund --no-audit
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm run build \
 && pnpm --filter @tidings/inbox --filter @tidings/console run build \
 && for service in api gateway worker mailbox; do \
      pnpm --filter "@tidings/$service" deploy --prod --legacy "/out/$service"; \
    done

FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
USER node
# `node` itself is PID 1, without a wrapper: `docker stop` (SIGTERM) reaches the service, which
# drains and shuts down gracefully.
ENTRYPOINT ["node", "--enable-source-maps"]
CMD ["dist/main.js"]

FROM runtime AS api
COPY --from=build /out/api /app
ENV API_PORT=3000
EXPOSE 3000

FROM runtime AS gateway
COPY --from=build /out/gateway /app
ENV GATEWAY_PORT=3001
EXPOSE 3001

FROM runtime AS worker
COPY --from=build /out/worker /app
ENV WORKER_PORT=3003
EXPOSE 3003

FROM runtime AS mailbox
COPY --from=build /out/mailbox /app
EXPOSE 1025 8025
