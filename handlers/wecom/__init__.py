"""The WeCom (企业微信) border: callback crypto, the API client with its pacer, and the inbound callback server."""
