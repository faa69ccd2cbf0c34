import { mkdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Browser, type Locator, type Page } from "playwright-core";
import { launchChromium } from "./chromium.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics, type WorkflowDefinition } from "@cascade/contracts";
import type { Delivered, Subscription } from "@cascade/bus";
import { channelEmailService } from "@cascade/services/channel-email";
import { ingestService } from "@cascade/services/ingest";
import { orchestratorService } from "@cascade/services/orchestrator";
import { profilesService } from "@cascade/services/profiles";
import { studioService } from "@cascade/services/studio";
import { triggersService } from "@cascade/services/triggers";
import { basicAuth, eventually, postJson, startTestPlatform, uniqueName, type TestPlatform } from "@cascade/testing";

/**
 * The builder in headless Chromium against the whole pipeline on the real Kafka broker: build the lead
 * qualification flow on an empty canvas by drag and drop, see a validation error and fix it, publish, send
 * events through the tracking API (ingest → triggers → orchestrator → workflow.runs.v1 → studio) and watch the
 * node counters move. Screenshots land in test-artifacts/studio/.
 */
const root = fileURLToPath(new URL("../../../", import.meta.url));
const artifacts = `${root}test-artifacts/studio`;

describe("studio builder in headless Chromium", () => {
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  let subscription: Subscription;
  const definitions: WorkflowDefinition[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const { buildStudioUi } = (await import(pathToFileURL(`${root}services/studio/ui/build.mjs`).href)) as {
      buildStudioUi(): Promise<void>;
    };
    await buildStudioUi();
    platform = await startTestPlatform({
      services: [
        studioService,
        ingestService,
        profilesService,
        triggersService,
        orchestratorService,
        channelEmailService,
      ],
      mode: "kafka",
      env: { STUDIO_UI_DIR: `${root}dist/studio-ui` },
    });
    subscription = await platform.bus.subscribe({
      group: uniqueName("studio-browser-defs"),
      topic: Topics.WorkflowDefinitionsV1,
      handler: async (message: Delivered<WorkflowDefinition>) => void definitions.push(message.value),
    });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await subscription?.close();
    await platform?.close();
  });

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: `${artifacts}/${name}.png` });
  const node = (id: string): Locator => page.locator(`.react-flow__node[data-id="${id}"]`);

  /** Drags a palette entry onto the canvas at (x, y) relative to the canvas. */
  const drop = async (kind: string, x: number, y: number): Promise<void> => {
    await page.getByTestId(`palette-${kind}`).dragTo(page.getByTestId("canvas"), { targetPosition: { x, y } });
    await expect.poll(() => node(`${kind}_1`).count()).toBe(1);
  };

  /**
   * Connects a node's output handle to another node's input handle, as a user would: by dragging from one to
   * the other, or, when a loaded browser missed the drag, by React Flow's click-to-connect (click the output
   * handle, then the input handle), which a user can do too.
   */
  const link = async (from: string, to: string, handle = "next"): Promise<void> => {
    const edge = page.locator(`.react-flow__edge[data-id="${from}->${to}"]`);
    const sourceHandle = page.getByTestId(`handle-${from}-${handle}`);
    const targetHandle = node(to).locator(".react-flow__handle.target");
    for (let attempt = 1; ; attempt++) {
      if (attempt === 1) {
        const source = await sourceHandle.boundingBox();
        const target = await targetHandle.boundingBox();
        if (!source || !target) throw new Error(`handles of ${from} → ${to} not visible`);
        await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
        await page.mouse.down();
        await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
        await page.mouse.up();
      } else {
        await sourceHandle.click();
        await targetHandle.click();
      }
      try {
        await expect.poll(() => edge.count(), { timeout: 3_000 }).toBe(1);
        return;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  };

  const select = async (id: string): Promise<Locator> => {
    await node(id).locator(".flow-node-label").click();
    const form = page.locator("form.node-form");
    await expect.poll(() => form.getAttribute("aria-label")).toContain("Configure");
    return form;
  };

  it("builds, validates and publishes the lead qualification flow, then shows live counts", async () => {
    await page.goto(platform.url);
    // Signed in through the local sign-in (the browser is on 127.0.0.1): the template gallery shows.
    await page.getByTestId("template-lead_qualification_v1").waitFor();
    await shot("01-home");
    await page.getByLabel("Name").fill("Lead qualification (browser test)");
    await page.getByTestId("create-blank").click();
    await page.getByTestId("canvas").waitFor();

    // Palette keyboard navigation: focus the first entry, arrow down moves focus along the list.
    await page.getByTestId("palette-time_based").focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("palette-behavioral");

    await drop("behavioral", 200, 70);
    await drop("scoring_update", 200, 210);
    await drop("condition_check", 200, 350);
    await drop("notification_send", 480, 350);
    await drop("exit", 480, 520);
    await shot("02-dropped");

    await link("behavioral_1", "scoring_update_1");
    await link("scoring_update_1", "condition_check_1");
    await link("condition_check_1", "notification_send_1");
    await link("notification_send_1", "exit_1");

    let form = await select("behavioral_1");
    await form.getByLabel("Events").fill("page_view");
    form = await select("scoring_update_1");
    await form.getByLabel("Score").selectOption("lead_score");
    await form.getByLabel("Operation").selectOption("add");
    await form.getByLabel("Value").fill("10");
    form = await select("notification_send_1");
    await form.getByLabel("Channel").selectOption("email");
    await form.getByLabel("Team").fill("sales");
    await form.getByLabel("Title").fill("New qualified lead");
    await form.getByLabel("Message").fill("{{contact.email}} reached {{contact.lead_score}}");

    // A broken condition: the expression editor points at the error and the node shows it.
    form = await select("condition_check_1");
    await form.getByLabel(/Expression/).fill("score >=");
    await page.getByTestId("expression-error").waitFor();
    expect(await page.getByTestId("expression-error").textContent()).toMatch(/column 9/);
    await expect
      .poll(() => node("condition_check_1").locator("[data-invalid]").getAttribute("data-invalid"))
      .toBe("true");
    expect(await page.getByTestId("publish").isDisabled()).toBe(true);
    await shot("03-validation-error");

    await form.getByLabel(/Expression/).fill("score >= 50");
    await expect.poll(() => page.getByTestId("validity").textContent()).toContain("Valid");
    await expect
      .poll(() => node("condition_check_1").locator("[data-invalid]").getAttribute("data-invalid"))
      .toBe("false");
    await expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("Draft saved");
    await shot("04-valid");

    await page.getByTestId("publish").click();
    await expect.poll(() => page.getByTestId("banner").textContent()).toContain("Published version 1");
    const workflowId = decodeURIComponent(new URL(page.url()).hash.replace("#/workflows/", ""));
    const published = await eventually(async () =>
      definitions.find((definition) => definition.workflowId === workflowId),
    );
    const definition = JSON.parse(published.definitionJson) as {
      nodes: Array<{ id: string; config: Record<string, unknown> }>;
      edges: unknown[];
    };
    expect(definition.nodes.map((entry) => entry.id).sort()).toEqual([
      "behavioral_1",
      "condition_check_1",
      "exit_1",
      "notification_send_1",
      "scoring_update_1",
    ]);
    expect(definition.nodes.find((entry) => entry.id === "condition_check_1")?.config).toEqual({
      expression: "score >= 50",
    });
    expect(definition.edges).toHaveLength(4);
    expect(published.triggers[0]?.eventName).toBe("page_view");
    await shot("05-published");

    // Events through the tracking API; runs flow through triggers and the orchestrator back to the canvas.
    await expect.poll(() => page.getByTestId("counts-behavioral_1").count(), { timeout: 10_000 }).toBe(1);
    for (let index = 0; index < 3; index += 1) {
      const response = await postJson(
        `${platform.url}/v1/track`,
        { userId: `lead-${index}`, event: "page_view", properties: { path: "/pricing" } },
        { authorization: basicAuth(platform.workspace.writeKey) },
      );
      expect(response.status).toBeLessThan(300);
    }
    const entered = (id: string): Promise<number> =>
      node(id)
        .locator('[data-count="entered"]')
        .textContent()
        .then((text) => Number(text?.replace(/\D/g, "") ?? 0));
    await expect.poll(() => entered("scoring_update_1"), { timeout: 90_000, interval: 500 }).toBeGreaterThanOrEqual(3);
    expect(await entered("condition_check_1")).toBeGreaterThanOrEqual(1);
    await shot("06-live-counts");

    await page.getByRole("tab", { name: "Runs" }).click();
    await page.locator(".run-list li").first().waitFor();
    await page.getByRole("tab", { name: "Outbox" }).click();
    await page
      .locator(".panel-body")
      .getByText(/mail|outbox/i)
      .first()
      .waitFor();
    await shot("07-panels");

    expect(consoleErrors).toEqual([]);
  }, 180_000);
});
