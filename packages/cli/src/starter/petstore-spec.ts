/** `petstore.yaml`, written by `atp init`: a small local copy of the Swagger Petstore (OpenAPI 3.0). */
export const PETSTORE_SPEC = `# A small Swagger Petstore (OpenAPI 3.0), written by \`atp init\` so the gateway starts without the internet.
# Calls go to the local mock in petstore-mock.mjs (\`node petstore-mock.mjs\`; port 4010, or PETSTORE_PORT).
# The public Swagger demo serves the same paths at https://petstore3.swagger.io/api/v3: to call it instead,
# set \`baseUrl: https://petstore3.swagger.io/api/v3\` on the petstore entry of atp.config.yaml (needs the internet).
openapi: 3.0.3
info:
  title: Swagger Petstore (local)
  version: 1.0.0
servers:
  - url: http://127.0.0.1:{port}/api/v3
    description: the local mock (node petstore-mock.mjs)
    variables:
      port:
        default: '4010'
tags:
  - name: pet
    description: Pets in the store
  - name: store
    description: The store's inventory
paths:
  /pet/findByStatus:
    get:
      tags: [pet]
      operationId: findPetsByStatus
      summary: Finds pets by status
      parameters:
        - name: status
          in: query
          required: true
          schema: { type: string, enum: [available, pending, sold] }
      responses:
        '200':
          description: The pets with that status
          content:
            application/json:
              schema: { type: array, items: { $ref: '#/components/schemas/Pet' } }
  /pet/{petId}:
    get:
      tags: [pet]
      operationId: getPetById
      summary: Finds a pet by its id
      parameters:
        - name: petId
          in: path
          required: true
          schema: { type: integer, format: int64 }
      responses:
        '200':
          description: The pet
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Pet' }
        '404':
          description: No pet with that id
  /pet:
    post:
      tags: [pet]
      operationId: addPet
      summary: Adds a pet to the store
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/NewPet' }
      responses:
        '200':
          description: The pet as stored, with its id
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Pet' }
  /store/inventory:
    get:
      tags: [store]
      operationId: getInventory
      summary: Counts pets by status
      responses:
        '200':
          description: Status → number of pets
          content:
            application/json:
              schema: { type: object, additionalProperties: { type: integer } }
components:
  schemas:
    NewPet:
      type: object
      required: [name]
      properties:
        name: { type: string, example: doggie }
        category: { type: string, example: Dogs }
        status: { type: string, enum: [available, pending, sold], default: available }
    Pet:
      allOf:
        - $ref: '#/components/schemas/NewPet'
        - type: object
          required: [id]
          properties:
            id: { type: integer, format: int64 }
`;
