#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>

/* crc32(string) -> number: the CRC-32 (IEEE) of the string's UTF-8 bytes */
static napi_value crc32(napi_env env, napi_callback_info info) {
    size_t argc = 1, len = 0;
    napi_value argv[1], result;
    napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
    napi_get_value_string_utf8(env, argv[0], NULL, 0, &len);
    char *buf = malloc(len + 1);
    napi_get_value_string_utf8(env, argv[0], buf, len + 1, &len);
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        crc ^= (unsigned char)buf[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    free(buf);
    napi_create_uint32(env, crc ^ 0xFFFFFFFFu, &result);
    return result;
}

static napi_value init(napi_env env, napi_value exports) {
    napi_value fn;
    napi_create_function(env, "crc32", NAPI_AUTO_LENGTH, crc32, NULL, &fn);
    napi_set_named_property(env, exports, "crc32", fn);
    return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
