import Handlebars from "handlebars";
import { convert } from "html-to-text";
import mjml2html from "mjml";

const COMPILED_CACHE_SIZE = 500;

export type TemplateRenderErrorCode = "template_syntax" | "mjml_invalid" | "relative_image_url" | "empty_content";

/** A template that cannot be rendered: the send fails with `reason` = code, it never crashes the consumer. */
export class TemplateRenderError extends Error {
  constructor(
    readonly code: TemplateRenderErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "TemplateRenderError";
  }
}

export interface TemplateSource {
  subject: string;
  /** Handlebars HTML, or MJML (a document starting with `<mjml>`) with Handlebars inside. */
  html: string;
  /** Handlebars plain text; generated from the HTML when absent. */
  text?: string;
  /** A layout wrapping the HTML: Handlebars with `{{{body}}}` where the message goes. */
  layout?: string;
  /** Named partials, used as `{{> name}}`. */
  partials?: Record<string, string>;
}

export interface RenderedContent {
  subject: string;
  html: string;
  text: string;
}

export interface RenderOptions {
  /** Prefix for relative image URLs (a CDN); without it a relative image URL is an error. */
  assetBaseUrl?: string;
}

/**
 * Renders email content: Handlebars (HTML-escaped by default, no prototype access, `{{default x "y"}}` for
 * missing values), partials and a layout, then MJML when the result is an MJML document, absolute image URLs,
 * and a plain-text part generated from the HTML when the template has none.
 */
export class TemplateRenderer {
  private readonly handlebars = Handlebars.create();
  /** Compiled templates by (mode, source); a workflow sends the same template many times. */
  private readonly compiled = new Map<string, HandlebarsTemplateDelegate>();

  constructor(private readonly options: RenderOptions = {}) {
    this.handlebars.registerHelper("default", (value: unknown, fallback: unknown) =>
      value === undefined || value === null || value === "" ? fallback : value,
    );
    this.handlebars.registerHelper("eq", (left: unknown, right: unknown) => left === right);
  }

  async render(source: TemplateSource, context: Record<string, unknown>): Promise<RenderedContent> {
    if (!source.html.trim() && !source.text?.trim())
      throw new TemplateRenderError("empty_content", "the message has neither html nor text");
    const partials = source.partials ?? {};
    const subject = this.apply("subject", source.subject, context, partials, true).replace(/\s+/g, " ").trim();
    let html = source.html.trim() ? this.apply("html", source.html, context, partials, false) : "";
    if (html && source.layout) html = this.apply("layout", source.layout, { ...context, body: html }, partials, false);
    if (html.trimStart().startsWith("<mjml")) html = await this.mjml(html);
    if (html) html = this.absoluteImages(html);
    const text = source.text?.trim()
      ? this.apply("text", source.text, context, partials, true)
      : convert(html, { wordwrap: 100, selectors: [{ selector: "img", format: "skip" }] });
    return { subject, html: html || `<pre>${Handlebars.escapeExpression(text)}</pre>`, text };
  }

  private apply(
    part: string,
    template: string,
    context: Record<string, unknown>,
    partials: Record<string, string>,
    plain: boolean,
  ): string {
    try {
      return this.compile(template, plain)(context, {
        partials,
        allowProtoPropertiesByDefault: false,
        allowProtoMethodsByDefault: false,
      });
    } catch (error) {
      throw new TemplateRenderError(
        "template_syntax",
        `${part}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
      );
    }
  }

  private compile(template: string, plain: boolean): HandlebarsTemplateDelegate {
    const key = `${plain ? "t" : "h"}:${template}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      compiled = this.handlebars.compile(template, { noEscape: plain, strict: false });
      if (this.compiled.size >= COMPILED_CACHE_SIZE) this.compiled.delete(this.compiled.keys().next().value ?? "");
      this.compiled.set(key, compiled);
    }
    return compiled;
  }

  private async mjml(document: string): Promise<string> {
    try {
      const result = await mjml2html(document, { validationLevel: "strict" });
      return result.html;
    } catch (error) {
      throw new TemplateRenderError(
        "mjml_invalid",
        `mjml: ${error instanceof Error ? error.message.split("\n").slice(0, 3).join(" ") : String(error)}`,
      );
    }
  }

  private absoluteImages(html: string): string {
    return html.replace(
      /(<img\b[^>]*?\ssrc=)(["'])([^"']*)\2/gi,
      (match, prefix: string, quote: string, url: string) => {
        if (/^(https?:|data:|cid:)/i.test(url) || url.startsWith("{{")) return match;
        if (url.startsWith("//")) return `${prefix}${quote}https:${url}${quote}`;
        if (!this.options.assetBaseUrl)
          throw new TemplateRenderError(
            "relative_image_url",
            `image "${url}" is not an absolute URL and EMAIL_ASSET_BASE_URL is not set`,
          );
        return `${prefix}${quote}${this.options.assetBaseUrl}/${url.replace(/^\/+/, "")}${quote}`;
      },
    );
  }
}
