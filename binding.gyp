{
  "targets": [
    {
      "target_name": "tt_alloc_tracker",
      "sources": ["<!@(node scripts/native-manifest.js sources addon-sim)"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native"],
      "defines": ["<!@(node scripts/native-manifest.js defines addon-sim)"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["<!@(node scripts/native-manifest.js cflags addon-sim)"],
      "ldflags": ["-pthread"],
      "libraries": ["-ldl"]
    }
  ]
}
