/** File extensions whose links count as downloads. */
export const DEFAULT_DOWNLOAD_EXTENSIONS = [
  "pdf",
  "zip",
  "gz",
  "tgz",
  "rar",
  "7z",
  "csv",
  "xls",
  "xlsx",
  "doc",
  "docx",
  "ppt",
  "pptx",
  "odt",
  "ods",
  "txt",
  "rtf",
  "epub",
  "dmg",
  "exe",
  "msi",
  "pkg",
  "deb",
  "rpm",
  "apk",
  "iso",
  "mp3",
  "wav",
  "mp4",
  "mov",
  "avi",
];

export interface DownloadLink {
  /** The link's resolved URL (HTMLAnchorElement.href). */
  href: string;
  /** Whether the link has a `download` attribute. */
  hasDownloadAttribute: boolean;
}

/** The file name and extension when a link downloads a file, else undefined. */
export function downloadOf(
  link: DownloadLink,
  extensions: readonly string[],
): { fileName: string; fileExtension: string } | undefined {
  let path: string;
  try {
    path = new URL(link.href).pathname;
  } catch {
    return undefined;
  }
  const fileName = decodeURIComponent(path.slice(path.lastIndexOf("/") + 1));
  const dot = fileName.lastIndexOf(".");
  const fileExtension = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : "";
  if (link.hasDownloadAttribute || (fileExtension && extensions.includes(fileExtension)))
    return { fileName, fileExtension };
  return undefined;
}
