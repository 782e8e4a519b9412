# The API (and, with another CMD, any other service) run from TypeScript sources with tsx.
FROM node:20-slim
RUN npm install -g pnpm@12.21.0 --no-fund --no-audit
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile
ENV API_PORT=3000
EXPOSE 3000
USER node
# node --import tsx rather than `pnpm exec tsx`: no wrapper processes as PID 1, so `docker stop`
# (SIGTERM) reaches the API itself and it shuts down gracefully.
CMD ["node", "--import", "tsx", "services/api/src/main.ts"]
