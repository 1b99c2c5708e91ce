/**
 * The security lexicon behind L2's concept features (assembly/features/
 * lexicon.ts): words that carry the same role in an attack, in the nine
 * languages raxe reads, grouped into concepts. The featuriser turns every
 * word it finds here into its concept, and pairs of concepts at most
 * CONCEPT_GAP words apart into a concept bigram — so "disregard the earlier
 * directives", "ignore all previous instructions" and "ignoriere alle
 * vorherigen Anweisungen" share features that no word n-gram gives them.
 *
 * An entry ending in `*` matches any word it starts (ignor* -> ignore,
 * ignoring, ignorez, ignoriere); other entries match whole words. Entries
 * with no spaces between words (Chinese, Japanese) also match inside a run
 * of such characters. Lower-case; the featuriser lower-cases ASCII only, so
 * non-ASCII entries list their lower-case forms.
 * Changing this list changes the features: retrain (LEXICON_VERSION).
 */

export const LEXICON_VERSION = 1;

export const CONCEPTS: Record<string, readonly string[]> = {
  override: ['ignor*', 'disregard*', 'forget*', 'forgot*', 'skip*', 'bypass*', 'override*', 'overrid*', 'overlook*', 'neglect*', 'discard*', 'abandon*', 'disobey*', 'dismiss*', 'scrap*', 'nevermind', 'olvid*', 'omit*', 'oubli*', 'vergiss*', 'vergess*', 'missacht*', 'esqueç*', 'esquec*', 'desconsider*', 'dimentic*', 'игнорир*', 'забудь*', 'забуд*', '忽略', '无视', '忘记', '忽视', '無視', '忘れ'],
  prior: ['previous*', 'prior', 'above', 'earlier', 'preceding', 'former', 'initial*', 'original*', 'foregoing', 'aforementioned', 'anterior*', 'previa*', 'previo*', 'précédent*', 'precedent*', 'antérieur*', 'vorherig*', 'bisherig*', 'obig*', 'vorig*', 'früher*', 'предыдущ*', 'прежн*', 'вышеуказ*', '之前', '以前', '上面', '先前', '前の', 'これまで'],
  instruction: ['instruction*', 'directive*', 'direction*', 'rule*', 'guideline*', 'command*', 'guidance', 'constraint*', 'programming', 'instruc*', 'regla*', 'indicacion*', 'directriz*', 'consigne*', 'règle*', 'anweisung*', 'regel*', 'richtlinie*', 'vorgabe*', 'instruç*', 'regra*', 'diretriz*', 'istruzion*', 'regol*', 'инструкц*', 'правил*', 'указани*', '指令', '指示', '规则', '命令', 'ルール'],
  system: ['system*', 'prompt*', 'preprompt', 'configuration', 'sistema*', 'système', 'systemprompt*', 'системн*', 'промпт*', '系统', '提示词', 'システム', 'プロンプト'],
  secret: ['password*', 'passcode*', 'passphrase*', 'secret*', 'credential*', 'apikey*', 'contraseña*', 'clave*', 'passwort*', 'kennwort*', 'geheim*', 'senha*', 'парол*', 'секрет*', '密码', '密钥', '口令', 'パスワード', '秘密'],
  reveal: ['reveal*', 'print*', 'output*', 'repeat*', 'display*', 'disclose*', 'leak*', 'expose*', 'dump*', 'revel*', 'muestr*', 'mostr*', 'repit*', 'révél*', 'affich*', 'montr*', 'répèt*', 'verrat*', 'verrät', 'zeig*', 'wiederhol*', 'rivel*', 'ripet*', 'покаж*', 'раскр*', 'повтор*', 'выведи', '显示', '透露', '重复', '输出', '表示', '教え', '見せ'],
  exfiltrate: ['send*', 'forward*', 'email*', 'upload*', 'post*', 'transfer*', 'exfiltrat*', 'submit*', 'wire', 'envía*', 'envia*', 'reenví*', 'envoi*', 'envoy*', 'transfér*', 'schick*', 'weiterleit*', 'leite', 'überweis*', 'encaminh*', 'transfir*', 'invi*', 'inoltr*', 'trasferisc*', 'отправ*', 'пересл*', 'перешли', 'перевед*', '发送', '转发', '转账', '送信', '転送', '振り込'],
  ai: ['assistant*', 'ai', 'chatbot*', 'model', 'llm*', 'gpt*', 'chatgpt', 'claude', 'gemini', 'copilot', 'agent*', 'bot', 'asistente*', 'ia', 'assistent*', 'ki', 'assistente*', 'ассистент*', 'ии', '助手', '人工智能', 'アシスタント'],
  conceal: ['secretly', 'silently', 'quietly', 'hidden', 'hide', 'conceal*', 'covert*', 'unnoticed', 'discreet*', 'heimlich*', 'тайно', 'скрыт*', '秘密地', '悄悄', 'こっそり'],
  user: ['user*', 'human*', 'usuario*', 'utilisateur*', 'nutzer*', 'benutzer*', 'usuário*', 'utente*', 'пользовател*', '用户', 'ユーザー'],
  mode: ['mode', 'dan', 'jailbreak*', 'unrestricted', 'unfiltered', 'uncensored', 'unlimited', 'unchained', 'amoral', 'godmode', 'modo', 'modus', 'режим*', '模式', 'モード'],
  now: ['new', 'now', 'instead', 'henceforth', 'onward*', 'nuev*', 'ahora', 'nouvel*', 'nouveau*', 'maintenant', 'désormais', 'neue*', 'neuen', 'jetzt', 'stattdessen', 'novo*', 'nova*', 'agora', 'nuov*', 'adesso', 'нов*', 'теперь', 'отныне', '现在', '从现在起', '新的', '新しい', '今から'],
  urgent: ['important*', 'urgent*', 'attention', 'critical', 'mandatory', 'must', 'immediately', 'priority', 'importante*', 'urgente*', 'wichtig*', 'dringend*', 'sofort', 'важн*', 'срочн*', '重要', '紧急', '緊急'],
  destroy: ['delet*', 'erase*', 'wipe*', 'destroy*', 'grant*', 'invite*', 'disable*', 'unlock*', 'execut*', 'install*', 'rm', 'curl', 'wget', 'sudo', 'chmod', 'borr*', 'elimin*', 'lösch*', 'supprim*', 'effac*', 'удал*', '删除', '削除'],
  restriction: ['restriction*', 'filter*', 'censor*', 'safety', 'ethic*', 'moral*', 'guardrail*', 'polic*', 'limitation*', 'restricci*', 'einschränkung*', 'ограничени*', '限制', '制限'],
  pretend: ['pretend*', 'roleplay*', 'imagine', 'simulat*', 'persona', 'character', 'hypothetic*', 'finge', 'imagina', 'stell', 'представь', 'притворись', '假装', '扮演', 'ふり', '演じ'],
  negation: ['never', 'without', 'no', 'not', 'nor', 'nunca', 'sin', 'jamais', 'sans', 'niemals', 'ohne', 'kein*', 'никогда', 'без', '不要', '绝不', '決して'],
  task: ['task*', 'summar*', 'translat*', 'answer*', 'respond*', 'reply*', 'response*', 'tarea*', 'tâche*', 'aufgabe*', 'tarefa*', 'compito', 'задач*', '任务', 'タスク'],
  destination: ['http', 'https', 'www', 'url', 'link', 'webhook*', 'gist', 'pastebin'],
};

/** Concept names in a fixed order: a concept's id is its index + 1. */
export const CONCEPT_NAMES = Object.keys(CONCEPTS);

/**
 * The lexicon as the featuriser reads it: entries of
 *   u8 byte length, the UTF-8 bytes, u8 concept id, u8 1 if a prefix entry
 */
export function encodeLexicon(): Uint8Array {
  const enc = new TextEncoder();
  const parts: number[] = [];
  CONCEPT_NAMES.forEach((name, i) => {
    for (const w of CONCEPTS[name]) {
      const prefix = w.endsWith('*');
      const b = enc.encode(prefix ? w.slice(0, -1) : w);
      if (b.length === 0 || b.length > 255) throw new Error(`lexicon entry "${w}" is empty or too long`);
      parts.push(b.length, ...b, i + 1, prefix ? 1 : 0);
    }
  });
  return Uint8Array.from(parts);
}
