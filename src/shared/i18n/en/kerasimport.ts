export const kerasimport = {
  'kerasimport.branch':
    'This functional model branches after layer "{layer}": its output feeds {count} layers ({next}). Sinapse imports a functional model only when it is a single chain, each layer feeding the next, like a Sequential model.',
  'kerasimport.merge':
    'Layer "{layer}" ({className}) joins {count} branches of this functional model. Sinapse imports a functional model only when it is a single chain, without merges such as Add or Concatenate.',
  'kerasimport.inputs':
    'This model has {count} inputs ({names}). Sinapse imports models with one input whose layers form a single chain.',
  'kerasimport.outputs':
    'This model has {count} outputs ({names}). Sinapse imports models with one output whose layers form a single chain.',
  'kerasimport.shared':
    'Layer "{layer}" is used {count} times in this functional model (a shared layer). Sinapse imports a functional model only when it is a single chain, each layer used once.',
} as const
