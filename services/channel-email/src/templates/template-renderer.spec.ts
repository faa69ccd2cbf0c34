import { describe, expect, it } from "vitest";
import { TemplateRenderError, TemplateRenderer } from "./template-renderer.js";

describe("TemplateRenderer", () => {
  const renderer = new TemplateRenderer({ assetBaseUrl: "https://cdn.example" });

  it("personalises, escapes HTML by default and falls back for missing values", async () => {
    const result = await renderer.render(
      { subject: 'Hi {{default contact.first_name "there"}}', html: "<p>{{contact.note}} {{event.product}}</p>" },
      { contact: { note: "<script>x</script>" }, event: { product: "Shoes" } },
    );
    expect(result.subject).toBe("Hi there");
    expect(result.html).toContain("&lt;script&gt;x&lt;/script&gt; Shoes");
    expect(result.text).toContain("<script>x</script> Shoes");
  });

  it("applies partials, a layout and conditional blocks", async () => {
    const result = await renderer.render(
      {
        subject: "s",
        html: "{{#if vip}}VIP {{/if}}{{> signature}}",
        layout: "<html><body><main>{{{body}}}</main></body></html>",
        partials: { signature: "— {{team}}" },
      },
      { vip: true, team: "Shop" },
    );
    expect(result.html).toBe("<html><body><main>VIP — Shop</main></body></html>");
  });

  it("refuses prototype access", async () => {
    const result = await renderer.render(
      { subject: "{{constructor.name}}", html: "<p>{{__proto__.polluted}}</p>" },
      {},
    );
    expect(result.subject).toBe("");
    expect(result.html).toBe("<p></p>");
  });

  it("renders MJML to responsive HTML and makes relative images absolute", async () => {
    const result = await renderer.render(
      {
        subject: "s",
        html: '<mjml><mj-body><mj-section><mj-column><mj-text>Hello {{name}}</mj-text><mj-image src="/logo.png" /></mj-column></mj-section></mj-body></mjml>',
      },
      { name: "Ada" },
    );
    expect(result.html).toContain("Hello Ada");
    expect(result.html).toContain("https://cdn.example/logo.png");
    expect(result.html).not.toContain("<mj-");
    expect(result.text).toContain("Hello Ada");
  });

  it("reports errors with a code instead of throwing arbitrary exceptions", async () => {
    await expect(renderer.render({ subject: "s", html: "{{#if x}}open" }, {})).rejects.toMatchObject({
      code: "template_syntax",
    });
    await expect(
      new TemplateRenderer().render({ subject: "s", html: '<img src="logo.png">' }, {}),
    ).rejects.toBeInstanceOf(TemplateRenderError);
    await expect(
      renderer.render({ subject: "s", html: "<mjml><mj-body><mj-bogus/></mj-body></mjml>" }, {}),
    ).rejects.toMatchObject({ code: "mjml_invalid" });
  });
});
