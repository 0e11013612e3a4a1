"""Model providers: the embedded GGUF model pack and the local llama.cpp server that serves it."""
