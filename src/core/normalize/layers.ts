/**
 * Every text L1 matches, built from one input: the raw text, its normalised
 * form, one layer per disguise whose trigger is present, and every decoded
 * payload (normalised too). A layer is emitted only when it differs from the
 * text it came from, so ordinary text costs one scan of the raw and none of
 * the disguise layers beyond their trigger checks.
 *
 * | name        | what it undoes                                           | via      |
 * |-------------|----------------------------------------------------------|----------|
 * | raw         | nothing                                                  |          |
 * | normalized  | NFKC, default-ignorables, common look-alikes, whitespace |          |
 * | skeleton    | accents, confusables.txt look-alikes, leetspeak, rn -> m |          |
 * | collapsed   | s p a c e d, one-letter-per-line, i.g.n.o.r.e, tags      |          |
 * | json        | one JSON field per word                                  |          |
 * | snap        | misspellings of the security vocabulary                  |          |
 * | rot13       | rot13 lines that then read as English                    | rot13    |
 * | reversed    | reversed lines that then read as English                 | reversed |
 * | (decoder)   | base64, hex, URL, HTML, escapes, tags, nested            | chain    |
 */
import { collapsedLayer } from './collapse.js';
import { decodeLayers, DEFAULT_DECODE_LIMITS, type DecodeLimits } from './decode.js';
import { jsonLayer } from './json.js';
import { normalizeText, removeIgnorable } from './normalize.js';
import { skeletonLayer } from './skeleton.js';
import { wordLayers } from './words.js';

export interface Layer {
  /** "raw", "normalized", a disguise layer's name, or a decoder chain such as "base64>url". */
  name: string;
  /** Set on layers that decode something (detections found there say so). */
  via?: string;
  text: string;
}

export interface LayerLimits {
  decode: DecodeLimits;
}

export const DEFAULT_LAYER_LIMITS: LayerLimits = { decode: DEFAULT_DECODE_LIMITS };

export interface Layers {
  layers: Layer[];
  /** The normalised text (also layers[1] when it differs from the raw text). */
  normalized: string;
  /** Why the text was not completely decoded ("decode_budget", "decode_depth"); empty when it was. */
  partial: Set<string>;
}

/**
 * All layers of `text` for L1, in a fixed order (raw first). Linear in the
 * text: each disguise layer is bounded by the text's length, decoding by
 * the decode budget (reported in `partial` when it runs out).
 */
export function buildLayers(text: string, limits: LayerLimits = DEFAULT_LAYER_LIMITS): Layers {
  const partial = new Set<string>();
  const normalized = normalizeText(text);
  const layers: Layer[] = [{ name: 'raw', text }];
  const add = (name: string, t: string, via?: string) => {
    if (t) layers.push(via ? { name, via, text: t } : { name, text: t });
  };
  if (normalized !== text) add('normalized', normalized);
  // decoded payloads before the disguise layers: a rule found in both says "via"
  for (const d of decodeLayers(text, limits.decode, partial)) {
    add(d.via, d.text, d.via);
    const n = normalizeText(d.text);
    if (n !== d.text) add(d.via, n, d.via);
  }
  const words = wordLayers(normalized);
  add('rot13', words.rot13, 'rot13');
  add('reversed', words.reversed, 'reversed');
  add('skeleton', skeletonLayer(normalized));
  const collapsed = collapsedLayer(removeIgnorable(text));
  add('collapsed', collapsed && normalizeText(collapsed));
  add('json', jsonLayer(text));
  add('snap', words.snap);
  return { layers, normalized, partial };
}
