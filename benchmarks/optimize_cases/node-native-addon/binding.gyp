{
  "targets": [
    {
      "target_name": "crc",
      "sources": ["crc.c"]
    }
  ]
}
