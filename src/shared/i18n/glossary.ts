import type { Locale } from './index'

/**
 * One name per idea, per language: each entry is the word the app uses and the variants it must
 * not use anywhere (a student who reads "Momentum" in one view and "Momento" in another thinks
 * they are two things). A softmax output is a confidence, never a certainty.
 */
export interface GlossaryTerm {
  term: string
  avoid: RegExp[]
}

export const GLOSSARY: Record<Locale, Record<string, GlossaryTerm>> = {
  'pt-BR': {
    momentum: { term: 'Momentum', avoid: [/\bmomento\b/i] },
    handwrittenDigits: { term: 'dígitos manuscritos', avoid: [/escritos à mão/i] },
    confidence: { term: 'confiança', avoid: [/\bcerteza\b/i] },
    progress: { term: 'Progresso', avoid: [] },
  },
  en: {
    momentum: { term: 'Momentum', avoid: [] },
    handwrittenDigits: { term: 'handwritten digits', avoid: [/hand-written/i] },
    confidence: { term: 'confidence', avoid: [/\} sure\b/, /\bsurest\b/i, /\bcertainty\b/i] },
    progress: { term: 'Progress', avoid: [] },
  },
}
