/**
 * A tool result as text for a person: text blocks as written, links and embedded resources
 * by URI and title, media by type and size, structured content when nothing else says it.
 * A failure never prints under a success heading (the reference host printed cancellations
 * under "Result").
 */
import type { CallToolResult, ContentBlock } from 'mcpwire/protocol';

const indent = (text: string, by = '  ') => text.split('\n').map((l) => (l === '' ? '' : `${by}${l}`)).join('\n');

function sizeOf(base64: string): string {
  const bytes = Math.floor((base64.length * 3) / 4);
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** One content block as lines; embedded text beyond `maxLines` is cut (a `read` shows more). */
export function renderBlock(block: ContentBlock, maxLines = 20): string {
  switch (block.type) {
    case 'text':
      return indent(block.text);
    case 'image':
    case 'audio':
      return `  [${block.type} ${block.mimeType}, ${sizeOf(block.data)}]`;
    case 'resource_link': {
      const title = block.title ?? block.name;
      const extra = [block.mimeType, block.description].filter(Boolean).join('; ');
      return `  ↗ ${block.uri}  ${title}${extra ? ` (${extra})` : ''}`;
    }
    case 'resource': {
      const r = block.resource as { uri: string; mimeType?: string; text?: string; blob?: string };
      const head = `  ▣ ${r.uri}${r.mimeType ? ` (${r.mimeType})` : ''}`;
      if (typeof r.text === 'string') {
        const lines = r.text.split('\n');
        const shown = lines.slice(0, maxLines).join('\n');
        return `${head}\n${indent(shown, '    ')}${lines.length > maxLines ? `\n    … ${lines.length - maxLines} more lines` : ''}`;
      }
      return `${head} [${sizeOf(r.blob ?? '')}]`;
    }
    default:
      return `  [${(block as { type: string }).type} content]`;
  }
}

/** The body of a result (without heading). */
export function renderResult(result: CallToolResult): string {
  const parts = (result.content ?? []).map((b) => renderBlock(b));
  if (!(result.content ?? []).some((b) => b.type === 'text') && result.structuredContent !== undefined) {
    parts.push(indent(JSON.stringify(result.structuredContent, null, 2)));
  }
  return parts.length > 0 ? parts.join('\n') : '  (no content)';
}

/** The text of a result, for combining several into one answer. */
export function resultText(result: CallToolResult): string {
  return (result.content ?? []).filter((b) => b.type === 'text').map((b) => (b as { text: string }).text).join('\n').trim();
}

/** The resource links of a result, as sources. */
export function resultLinks(result: CallToolResult): Array<{ uri: string; title: string }> {
  return (result.content ?? [])
    .filter((b) => b.type === 'resource_link')
    .map((b) => {
      const link = b as { uri: string; title?: string; name: string };
      return { uri: link.uri, title: link.title ?? link.name };
    });
}
