import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";

/**
 * deploy/ cannot run here (no container engine), so this keeps it consistent with the code: every service
 * in services/ is in the compose file and has a Kubernetes Deployment with probes, resource requests and
 * secrets referenced, never inlined.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const HOST = "embedded"; // the single-process host is not deployed per service
const services = readdirSync(`${root}services`, { withFileTypes: true })
  .filter(
    (entry) => entry.isDirectory() && entry.name !== HOST && existsSync(`${root}services/${entry.name}/src/main.ts`),
  )
  .map((entry) => entry.name);

interface ComposeService {
  build?: { args?: Record<string, string> };
}
interface Container {
  name: string;
  image: string;
  env?: Array<{ name: string; value?: string }>;
  envFrom?: Array<{ secretRef?: { name: string }; configMapRef?: { name: string } }>;
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  resources?: { requests?: { cpu?: string; memory?: string } };
}
interface K8sDoc {
  kind: string;
  metadata: { name: string };
  spec?: { template?: { spec?: { containers: Container[] } } };
}

const compose = parse(readFileSync(`${root}deploy/compose.yaml`, "utf8")) as {
  services: Record<string, ComposeService>;
};
const kustomization = parse(readFileSync(`${root}deploy/k8s/base/kustomization.yaml`, "utf8")) as {
  resources: string[];
};
const overlay = parse(readFileSync(`${root}deploy/k8s/overlays/local/kustomization.yaml`, "utf8")) as {
  images: Array<{ name: string }>;
};

describe("deploy/ matches services/", () => {
  it("finds the services", () => {
    expect(services).toContain("ingest");
  });

  it.each(services)("%s: main.ts starts the service under its own name", (service) => {
    const main = readFileSync(`${root}services/${service}/src/main.ts`, "utf8");
    expect(main).toContain(`runMain("${service}"`);
  });

  it.each(services)("%s: has a compose entry built with SERVICE=%s", (service) => {
    expect(compose.services[service]?.build?.args?.SERVICE).toBe(service);
  });

  it.each(services)("%s: has a Deployment with probes, requests and secrets by reference", (service) => {
    expect(kustomization.resources).toContain(`${service}.yaml`);
    const docs = parseAllDocuments(readFileSync(`${root}deploy/k8s/base/${service}.yaml`, "utf8")).map(
      (doc) => doc.toJS() as K8sDoc,
    );
    const deployment = docs.find((doc) => doc.kind === "Deployment" && doc.metadata.name === service);
    const container = deployment?.spec?.template?.spec?.containers[0];
    expect(container, `Deployment ${service}`).toBeDefined();
    if (!container) return;
    expect(container.env).toContainEqual({ name: "CASCADE_SERVICE", value: service });
    expect(container.readinessProbe?.httpGet?.path).toBe("/health/ready");
    expect(container.livenessProbe?.httpGet?.path).toBe("/health/live");
    expect(container.resources?.requests?.cpu).toBeTruthy();
    expect(container.resources?.requests?.memory).toBeTruthy();
    expect(container.envFrom).toContainEqual({ secretRef: { name: "cascade-secrets" } });
    const inlined = (container.env ?? []).filter(
      (variable) => /KEY|SECRET|PASSWORD|DATABASE_URL/.test(variable.name) && variable.value !== undefined,
    );
    expect(inlined).toEqual([]);
    expect(overlay.images.map((image) => image.name)).toContain(container.image);
    expect(docs.some((doc) => doc.kind === "Service" && doc.metadata.name === service)).toBe(true);
  });

  it("has nothing deployed that is not a service", () => {
    const deployed = kustomization.resources
      .filter((file) => file !== "configmap.yaml")
      .map((file) => file.replace(/\.yaml$/, ""));
    expect(deployed.sort()).toEqual([...services].sort());
    const composeServices = Object.keys(compose.services).filter((name) => !["kafka", "postgres"].includes(name));
    expect(composeServices.sort()).toEqual([...services].sort());
  });
});
