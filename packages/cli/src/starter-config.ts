/** The commented starter written by `atp init`. Every section but `server` is optional. */
export const STARTER_CONFIG = `# ATP gateway config: \`atp serve\` (HTTP), \`atp mcp\` (MCP over stdio), \`atp exec\`.
# \${VAR} reads an environment variable (startup fails, naming it, when it is unset);
# \${VAR:-default} falls back to a default. Relative paths are relative to this file.

server:
  port: \${PORT:-3333}
  host: 127.0.0.1            # 0.0.0.0 to accept other machines (then set auth below)
  # mode: production         # production refuses to start without jwtSecret
  # jwtSecret: \${ATP_JWT_SECRET}
  # logLevel: warn           # logs go to stderr
  mcpPath: /mcp              # ATP over MCP Streamable HTTP next to /api; false turns it off
  # mcpAnonymous: true       # /mcp without credentials (local use only); by default MCP clients send
  #                          # Authorization: Bearer <token from POST /api/init>, or a key from auth below
  execution:
    timeout: 30000           # ms
    memory: 134217728        # bytes (128 MiB)
    llmCalls: 10
  # clientInit: { tokenTTL: 3600, tokenRotation: 1800 }
  # executionState: { ttl: 3600, maxPauseDuration: 3600 }

# The ATP Inspector (a web page to browse the APIs and run code) at /inspector; or \`atp serve --inspector\`.
# inspector: true

# OpenAPI 3.x / Swagger 2.0 specs: each becomes api.<name>.*
openapi:
  - name: petstore
    path: ./petstore.yaml    # written by atp init; its calls go to \`node petstore-mock.mjs\`
    serverVariables: { port: "\${PETSTORE_PORT:-4010}" }   # the mock's port (petstore.yaml's {port})
    # url: https://petstore3.swagger.io/api/v3/openapi.json   # the public spec instead (needs the internet)
    # baseUrl: https://petstore3.swagger.io/api/v3           # call the public demo instead of the mock
    # auth: { scheme: bearer, token: \${PETSTORE_TOKEN} }
    # auth: { scheme: apiKey, in: header, name: X-API-Key, value: \${PETSTORE_KEY} }
    # include: { tags: [pet] }

# GraphQL APIs: one function per query and mutation field, as api.<name>.query_<field> / mutation_<field>
graphql: []
  # - name: shop
  #   url: https://shop.example.com/graphql   # the endpoint; introspected unless path is given
  #   path: ./schemas/shop.graphql             # SDL or an introspection result (.json)
  #   auth: { scheme: bearer, envVar: SHOP_TOKEN }
  #   exclude: { operations: [mutation] }      # read-only

# MCP servers: stdio (command) or HTTP (url); each becomes api.<name>.*
mcp: []
  # - name: files
  #   command: npx
  #   args: [-y, "@modelcontextprotocol/server-filesystem", "."]
  #   env: { LOG_LEVEL: warn }   # added to a minimal environment; secrets are not inherited
  # - name: remote
  #   url: https://mcp.example.com/mcp
  #   headers: { authorization: "Bearer \${REMOTE_MCP_TOKEN}" }

# Who may use the gateway (default: anyone who can reach it).
# auth:
#   apiKeys:
#     - \${ATP_API_KEY}                  # at least 16 characters; clients send X-API-Key
#   jwt: { jwksUrl: https://issuer.example.com/.well-known/jwks.json, audience: atp }

# Shared state for several instances (sessions, paused executions, journals).
# redis: \${REDIS_URL:-redis://127.0.0.1:6379}

# JSONL audit log of inits, executions and tool calls (secrets redacted).
# audit:
#   dir: ./audit
#   rotateDaily: true

# Answers atp.llm.* for \`atp exec\` (any OpenAI-compatible endpoint).
# llm:
#   baseUrl: https://api.openai.com/v1
#   model: gpt-4o-mini
#   apiKey: \${OPENAI_API_KEY}

# Security (docs/security.md): value provenance, data-flow policies and a rules file.
# provenance:
#   mode: proxy                # none | proxy | ast
#   policies: [preventDataExfiltration, { name: requireUserOrigin, params: [to] }]
# rules: ./rules.yaml          # deny/allow lists, approvals, rate limits; reloaded on change

# Per-user OAuth for OpenAPI groups with auth: { scheme: oauth } (routes under /oauth).
# oauth:
#   encryptionKey: \${ATP_OAUTH_KEY}                  # at least 32 characters, same on every instance
#   redirectUri: https://atp.example.com/oauth/callback
#   providers:
#     - { type: github, clientId: \${GITHUB_CLIENT_ID}, clientSecret: \${GITHUB_CLIENT_SECRET}, scopes: [repo] }
`;
