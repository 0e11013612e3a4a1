"""Provider-agnostic primitives shared by the steps and the providers; imports no step."""
